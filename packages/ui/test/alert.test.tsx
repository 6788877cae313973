import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { FormAlert, Notice } from "../src/alert";

describe("FormAlert and Notice", () => {
  it("FormAlert announces its message at once (role=alert) and can take focus", () => {
    render(<FormAlert message="Invalid email or password" />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toBe("Invalid email or password");
    alert.focus();
    expect(document.activeElement).toBe(alert);
  });

  it("FormAlert renders nothing without a message, so no empty alert is announced", () => {
    const { container } = render(<FormAlert message={null} />);
    expect(container.innerHTML).toBe("");
  });

  it("Notice is a polite status line in its tone", () => {
    render(<Notice message="Profile saved." tone="success" />);
    const status = screen.getByRole("status");
    expect(status.textContent).toBe("Profile saved.");
    expect(status.className).toContain("alert-success");
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
