import { useQuery } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { act, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { createMemoryTokenStore, createSessionClient } from "@voiceassist/client";

import { ApiProvider } from "../src/api-provider";
import { createQueryClient } from "../src/query-client";
import { useTRPC } from "../src/trpc";

function Version() {
  const trpc = useTRPC();
  const live = useQuery(trpc.health.live.queryOptions());
  return <p>{live.data ? `version ${live.data.version}` : "none"}</p>;
}

describe("ApiProvider", () => {
  it("serves cached procedures to useTRPC, and empties the cache when the session ends", () => {
    const store = createMemoryTokenStore({ accessToken: "a", refreshToken: "r" });
    const session = createSessionClient({ url: "http://127.0.0.1:1/trpc", store });
    const queryClient = createQueryClient();
    const trpc = createTRPCOptionsProxy({ client: session.client, queryClient });
    queryClient.setQueryData(trpc.health.live.queryKey(), { status: "healthy", timestamp: new Date(), version: "1.2.3", uptimeSeconds: 1 });

    render(
      <ApiProvider session={session} queryClient={queryClient}>
        <Version />
      </ApiProvider>,
    );
    expect(screen.getByText("version 1.2.3")).toBeTruthy();

    act(() => store.clear());
    expect(queryClient.getQueryData(trpc.health.live.queryKey())).toBeUndefined();
  });
});
