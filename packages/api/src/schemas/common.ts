import { z } from "zod";

/** A Date on the server (and on tRPC clients); an ISO 8601 string over REST, where JSON carries it. */
export const timestamp = () => z.date().meta({ override: { type: "string", format: "date-time" } });

/**
 * An id as the database holds it. Documented as a uuid, but not checked as one: an output
 * check must never turn a stored row into a 500.
 */
export const uuid = () => z.string().meta({ format: "uuid" });

export const successSchema = z.object({ success: z.literal(true) }).meta({ id: "Success" });

/** A page of `item`s and how many match in all. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });
