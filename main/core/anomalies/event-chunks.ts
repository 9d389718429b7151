import type { AnomalyEvent } from './event';
import type { ScanRow } from './scan-columns';

/**
 * How a reader thread hands a range of records to the scanning thread. Numbers travel in typed
 * arrays (moved, not copied) and the repetitive strings (operators, event types, IPs, URIs…) as
 * codes into a dictionary each reader builds up and sends only the new entries of. The scanning
 * thread then creates each distinct string once: its events share them, which saves memory and
 * lets the rules' Map lookups reuse the string's cached hash. Record ids are unique and travel
 * as they are.
 */
export interface EventChunk {
  type: 'chunk';
  /** The receiver must forget the dictionary before appending `newStrings`. */
  resetDictionary: boolean;
  /** Dictionary entries first used in this chunk, in code order. */
  newStrings: string[];
  ids: string[];
  seqs: Float64Array;
  times: Float64Array;
  statusCodes: Int32Array;
  /** 1 when failed. */
  failed: Uint8Array;
  /** Row i's STRING_FIELDS at i * STRING_FIELDS … i * STRING_FIELDS + STRING_FIELDS - 1. */
  codes: Int32Array;
}

export interface ReaderFailure {
  type: 'error';
  message: string;
}

export type ReaderMessage = EventChunk | ReaderFailure;

/** operator_id, username, event_type, resource_id, ip, token_name, uri. */
const STRING_FIELDS = 7;
const STRING_COLUMNS = [3, 4, 5, 6, 7, 8, 11] as const;
/** Past this many entries a reader starts a new dictionary, so unique values cannot grow it without bound. */
const MAX_DICTIONARY = 1 << 18;

/** Reader side: turns rows into chunks, keeping the dictionary across calls. */
export function createChunkEncoder(maxDictionary = MAX_DICTIONARY): (rows: ScanRow[]) => { chunk: EventChunk; transfer: ArrayBuffer[] } {
  const dictionary = new Map<string, number>();
  return (rows) => {
    const resetDictionary = dictionary.size > maxDictionary;
    if (resetDictionary) dictionary.clear();
    const n = rows.length;
    const newStrings: string[] = [];
    const ids = new Array<string>(n);
    const seqs = new Float64Array(n);
    const times = new Float64Array(n);
    const statusCodes = new Int32Array(n);
    const failed = new Uint8Array(n);
    const codes = new Int32Array(n * STRING_FIELDS);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      seqs[i] = row[0];
      ids[i] = row[1];
      times[i] = row[2];
      statusCodes[i] = row[9];
      failed[i] = row[10];
      for (let f = 0; f < STRING_FIELDS; f++) {
        const value = row[STRING_COLUMNS[f]!] as string;
        let code = dictionary.get(value);
        if (code === undefined) {
          code = dictionary.size;
          dictionary.set(value, code);
          newStrings.push(value);
        }
        codes[i * STRING_FIELDS + f] = code;
      }
    }
    const chunk: EventChunk = { type: 'chunk', resetDictionary, newStrings, ids, seqs, times, statusCodes, failed, codes };
    return { chunk, transfer: [seqs.buffer, times.buffer, statusCodes.buffer, failed.buffer, codes.buffer] };
  };
}

/** Scanning side: one per reader, fed that reader's chunks in the order they were sent. */
export interface ChunkDecoder {
  /** Brings the dictionary up to date with `chunk`; call once before eventAt on it. */
  accept(chunk: EventChunk): void;
  eventAt(chunk: EventChunk, row: number): AnomalyEvent;
}

export function createChunkDecoder(): ChunkDecoder {
  const strings: string[] = [];
  return {
    accept(chunk) {
      if (chunk.resetDictionary) strings.length = 0;
      for (const value of chunk.newStrings) strings.push(value);
    },
    eventAt(chunk, row) {
      const c = chunk.codes;
      const base = row * STRING_FIELDS;
      // Same property order as scanRowToEvent: one object shape for every event of a scan.
      return {
        id: chunk.ids[row]!,
        event_time: chunk.times[row]!,
        operator_id: strings[c[base]!]!,
        username: strings[c[base + 1]!]!,
        event_type: strings[c[base + 2]!]!,
        resource_id: strings[c[base + 3]!]!,
        ip: strings[c[base + 4]!]!,
        token_name: strings[c[base + 5]!]!,
        status_code: chunk.statusCodes[row]!,
        failed: chunk.failed[row] === 1,
        uri: strings[c[base + 6]!]!,
      };
    },
  };
}
