import { act, render, screen } from "@testing-library/react";
import { TRPCClientError } from "@trpc/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { retryMessage, useRetryCountdown } from "../src/use-retry-countdown";

/** A TOO_MANY_REQUESTS error as the client gets it, with the server's wait in the body. */
const rateLimited = (seconds: number) =>
  new TRPCClientError("Too many requests", {
    result: { error: { message: "x", code: -32029, data: { code: "TOO_MANY_REQUESTS", httpStatus: 429, retryAfterSeconds: seconds } } },
  } as never);

function Retry({ error }: { error: unknown }) {
  const left = useRetryCountdown(error);
  return (
    <>
      <p>{left === null ? "no limit" : retryMessage(left)}</p>
      <button type="button" disabled={Boolean(left)}>
        Sign in
      </button>
    </>
  );
}

describe("useRetryCountdown", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("counts down from Retry-After, keeps the button disabled until then, and says when a retry is allowed", () => {
    render(<Retry error={rateLimited(3)} />);
    expect(screen.getByText("Too many attempts. Try again in 3 seconds.")).toBeTruthy();
    expect(screen.getByRole("button").hasAttribute("disabled")).toBe(true);
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByText("Too many attempts. Try again in 2 seconds.")).toBeTruthy();
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByText("Too many attempts. Try again in 1 second.")).toBeTruthy();
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByText("You can try again now.")).toBeTruthy();
    expect(screen.getByRole("button").hasAttribute("disabled")).toBe(false);
  });

  it("is null for any other error, and for none", () => {
    const { rerender } = render(<Retry error={new Error("boom")} />);
    expect(screen.getByText("no limit")).toBeTruthy();
    rerender(<Retry error={null} />);
    expect(screen.getByText("no limit")).toBeTruthy();
  });
});
