import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { FormAlert } from "../src/alert";
import { Field } from "../src/field";
import { useFocusOnError } from "../src/use-focus-on-error";

function Form({ error, fields }: { error: object | null; fields: Record<string, string[]> }) {
  const form = useFocusOnError(error);
  return (
    <form ref={form}>
      <FormAlert message={error ? "Please correct the highlighted fields." : null} />
      <Field label="Name" name="name" errors={fields.name} />
      <Field label="Email" name="email" errors={fields.email} />
    </form>
  );
}

describe("useFocusOnError", () => {
  it("moves focus to the first invalid field when an error arrives", () => {
    const { rerender } = render(<Form error={null} fields={{}} />);
    expect(document.activeElement).toBe(document.body);
    rerender(<Form error={{}} fields={{ email: ["Invalid email address"] }} />);
    expect(document.activeElement).toBe(screen.getByLabelText("Email"));
  });

  it("moves focus to the alert when no field is to blame", () => {
    const { rerender } = render(<Form error={null} fields={{}} />);
    rerender(<Form error={{}} fields={{}} />);
    expect(document.activeElement).toBe(screen.getByRole("alert"));
  });

  it("moves focus again for each new error", () => {
    const { rerender } = render(<Form error={{}} fields={{ name: ["Required"] }} />);
    screen.getByLabelText("Email").focus();
    rerender(<Form error={{}} fields={{ name: ["Required"] }} />);
    expect(document.activeElement).toBe(screen.getByLabelText("Name"));
  });
});

function SummaryForm({ error, fields }: { error: object | null; fields: Record<string, string[]> }) {
  const form = useFocusOnError(error, "summary");
  return (
    <form ref={form}>
      <FormAlert message={error ? "Please correct the highlighted fields." : null} fields={fields} />
      <Field label="Name" name="name" errors={fields.name} />
      <Field label="Email" name="email" errors={fields.email} />
    </form>
  );
}

describe("useFocusOnError with the error summary", () => {
  it("moves focus to the summary, whose links lead to each field", () => {
    const { rerender } = render(<SummaryForm error={null} fields={{}} />);
    rerender(<SummaryForm error={{}} fields={{ email: ["Invalid email address"] }} />);
    const summary = screen.getByRole("alert");
    expect(document.activeElement).toBe(summary);
    screen.getByRole("link", { name: "Invalid email address" }).click();
    expect(document.activeElement).toBe(screen.getByLabelText("Email"));
  });
});
