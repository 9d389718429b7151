import { z } from 'zod';
import { isMethodName, methods, type Input, type MethodName, type Output } from '../../../preload/contract';
import { AppError, toApiError } from './errors';

/** One function per contract method; inputs arrive already validated (zod output types). */
export type Handlers = {
  [M in MethodName]: (input: z.output<(typeof methods)[M]['input']>) => Promise<Output<M>> | Output<M>;
};

export type CallResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

/**
 * The single entry point every transport uses: checks the method name, validates the input,
 * runs the handler, validates the output. Transports only carry `(name, input)` and the result.
 */
export function createDispatcher(handlers: Handlers, onInternalError: (error: unknown) => void = () => {}) {
  return async function dispatch(name: unknown, rawInput: unknown): Promise<CallResult> {
    if (!isMethodName(name)) return { ok: false, error: { code: 'unknown_method', message: `unknown method ${String(name)}` } };
    const spec = methods[name];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'input';
      return { ok: false, error: { code: 'invalid_input', message: `${name}: ${where}: ${issue?.message ?? 'invalid'}` } };
    }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown> | unknown;
      const value = await handler(parsed.data);
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        onInternalError(new Error(`${name} produced an invalid result: ${checked.error.message}`));
        return { ok: false, error: { code: 'internal', message: `${name} produced an invalid result` } };
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === 'internal') onInternalError(error);
      return { ok: false, error: apiError };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

/** Unwraps a CallResult into a value or a thrown AppError (for in-process callers). */
export function unwrap<M extends MethodName>(result: CallResult): Output<M> {
  if (result.ok) return result.value as Output<M>;
  throw new AppError(result.error.code, result.error.message);
}

export type { Input };
