import type { z } from 'zod';

/**
 * Building blocks of the contract. A method is a pair of zod schemas; an event is one schema.
 * Types for callers and handlers are derived from the schemas, so the TypeScript interface and the
 * runtime validation can never drift apart.
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> {
  return { input, output };
}

export type MethodMap = Record<string, MethodSpec>;
export type EventMap = Record<string, z.ZodType>;

export type InputOf<M extends MethodSpec> = z.input<M['input']>;
export type OutputOf<M extends MethodSpec> = z.output<M['output']>;
