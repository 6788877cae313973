import { Link } from "@tanstack/react-router";

import { SignInSteps } from "./sign-in-steps";

/** The app's own sign-in: on success the token store changes and the route guard moves on to the profile by itself. */
export function SignInPage() {
  return (
    <SignInSteps title="Sign in">
      <p>
        <Link to="/forgot-password">Forgot password?</Link>
      </p>
      <p>
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
    </SignInSteps>
  );
}
