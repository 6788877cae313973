import { createTRPCContext } from "@trpc/tanstack-react-query";

import type { AppRouter } from "@voiceassist/client";

/** Query and mutation options for every procedure (`useTRPC().users.list.queryOptions(input)`). */
export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
