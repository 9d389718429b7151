// Worker thread entry: writes an export's records.json/records.csv (see core/export/records-in-thread.ts).
import { workerData } from 'node:worker_threads';
import { runRecordsThread, type RecordsThreadInput } from '../core/export/records-thread';

runRecordsThread(workerData as RecordsThreadInput);
