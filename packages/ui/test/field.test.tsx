import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { Field } from "../src/field";

describe("Field", () => {
  it("labels its input and, when valid, marks nothing invalid", () => {
    render(<Field label="Email" name="email" hint="We never share it." />);
    const input = screen.getByLabelText("Email");
    expect(input.getAttribute("name")).toBe("email");
    expect(input.hasAttribute("aria-invalid")).toBe(false);
    // Only the hint describes it.
    expect(input.getAttribute("aria-describedby")?.split(" ")).toHaveLength(1);
    expect(screen.getByLabelText("Email")).toHaveProperty("id", screen.getByText("Email").getAttribute("for"));
  });

  it("ties its errors to the input: aria-invalid, and aria-describedby naming the hint and the message", () => {
    render(<Field label="Email" name="email" hint="We never share it." errors={["Invalid email address", "Too long"]} />);
    const input = screen.getByLabelText("Email");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const described = (input.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
    expect(described).toEqual(["We never share it.", "Invalid email address Too long"]);
  });

  it("drops the error wiring when the errors go away", () => {
    const { rerender } = render(<Field label="Name" name="name" errors={["Required"]} />);
    rerender(<Field label="Name" name="name" errors={[]} />);
    const input = screen.getByLabelText("Name");
    expect(input.hasAttribute("aria-invalid")).toBe(false);
    expect(input.hasAttribute("aria-describedby")).toBe(false);
    expect(screen.queryByText("Required")).toBeNull();
  });
});
