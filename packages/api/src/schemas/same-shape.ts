/** True only when A and B are assignable both ways: a field added on one side and not the other fails. */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Pins an output schema to the type its service returns, at compile time:
 * `sameShape<z.output<typeof schema>, ServiceType>(true)` stops compiling when
 * either side gains or loses a field, so the schema (which tRPC also uses to
 * strip and check every output) cannot silently drop what a service adds.
 */
export const sameShape = <A, B>(same: SameShape<A, B>) => same;
