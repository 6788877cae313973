import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";

export type AppLogger = PinoLogger;

/** Keeps only what helps an operator: driver errors carry query parameters (hashes, emails), never logged. */
interface SerializedError {
  type?: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: SerializedError;
}

function serializeError(err: unknown, depth = 0): SerializedError {
  if (!(err instanceof Error)) return { message: safeMessage(String(err)) };
  const code = (err as { code?: unknown }).code;
  const message = safeMessage(err.message);
  return {
    type: err.name,
    message,
    ...(typeof code === "string" ? { code } : {}),
    ...(err.stack ? { stack: safeStack(err.stack, `${err.name}: ${message}`) } : {}),
    ...(err.cause && depth < 5 ? { cause: serializeError(err.cause, depth + 1) } : {}),
  };
}

/**
 * Drizzle's DrizzleQueryError (and a TRPCError that copied its message) says
 * `Failed query: <sql>\nparams: <every bound value>`: password hashes, emails,
 * tokens. Never log it: keep "Failed query" only; the driver's own error (its
 * SQLSTATE and message, without the values) follows as `cause`.
 */
function safeMessage(message: string): string {
  if (message.startsWith("Failed query")) return "Failed query";
  const params = message.search(/\n?params: /);
  return params === -1 ? message : message.slice(0, params);
}

/** A stack repeats the message in its first lines; rebuild that header from the safe message. */
function safeStack(stack: string, header: string): string {
  const frames = stack.indexOf("\n    at ");
  return frames === -1 ? header : header + stack.slice(frames);
}

/** Structured JSON logs to stdout (or `destination`); credentials are redacted wherever they might appear. */
export function createLogger(level: string, destination?: DestinationStream): AppLogger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "headers.authorization",
        "*.password",
        "*.currentPassword",
        "*.newPassword",
        "*.accessToken",
        "*.refreshToken",
        "*.hashedPassword",
      ],
      censor: "[redacted]",
    },
    serializers: { err: serializeError, error: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}
