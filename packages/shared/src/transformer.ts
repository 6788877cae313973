import superjson from "superjson";

/** The one data transformer, shared by server and client so Dates survive the wire. */
export const transformer = superjson;
