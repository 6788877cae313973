import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";

import { Field } from "../src/field";
import { useFormErrors } from "../src/use-form-errors";

const invalid = (fieldErrors: Record<string, string[]>) =>
  new TRPCClientError("bad", {
    result: {
      error: {
        message: "bad",
        code: -32600,
        data: { code: "BAD_REQUEST", httpStatus: 400, zodError: { formErrors: [], fieldErrors } },
      },
    },
  } as never);

function Form({ error }: { error: unknown }) {
  const errors = useFormErrors(error);
  return (
    <form onInput={errors.onInput}>
      <Field label="Name" name="name" errors={errors.fields.name} />
      <Field label="Email" name="email" errors={errors.fields.email} />
    </form>
  );
}

describe("useFormErrors", () => {
  it("drops a field's error once that field is edited, keeps the others, and shows all again for a new error", async () => {
    const user = userEvent.setup();
    const first = invalid({ name: ["Too long"], email: ["Invalid email address"] });
    const { rerender } = render(<Form error={first} />);
    expect(screen.getByLabelText("Email").getAttribute("aria-invalid")).toBe("true");
    await user.type(screen.getByLabelText("Email"), "a");
    expect(screen.getByLabelText("Email").getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
    rerender(<Form error={invalid({ email: ["Invalid email address"] })} />);
    expect(screen.getByLabelText("Email").getAttribute("aria-invalid")).toBe("true");
  });
});
