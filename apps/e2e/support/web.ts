import type { Page } from "playwright-core";

/** Steps a person takes in the web app, named as they would say them. */
export async function signUp(page: Page, user: { email: string; fullName: string; password: string }) {
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByRole("heading", { name: "Create your account" }).waitFor();
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Full name (optional)").fill(user.fullName);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("status").filter({ hasText: "Account created" }).waitFor();
}

export async function signIn(page: Page, email: string, password: string) {
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export async function expectProfile(page: Page) {
  await page.getByRole("heading", { name: "Your profile" }).waitFor();
}

/** The profile form's Save button: the "next action" that shows whether the session still lives. */
export async function saveProfile(page: Page, changes: { fullName?: string; email?: string } = {}) {
  const form = page.getByRole("form", { name: "Edit profile" });
  if (changes.fullName !== undefined) await form.getByLabel("Full name").fill(changes.fullName);
  if (changes.email !== undefined) await form.getByLabel("Email").fill(changes.email);
  await form.getByRole("button", { name: "Save profile" }).click();
}
