import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";

export type AppLogger = PinoLogger;

/** Keeps only what helps an operator: driver errors carry query parameters (hashes, emails). */
interface SerializedError {
  type?: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: SerializedError;
}

function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { message: String(err) };
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    message: err.message,
    ...(typeof code === "string" ? { code } : {}),
    stack: err.stack,
    ...(err.cause ? { cause: serializeError(err.cause) } : {}),
  };
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
