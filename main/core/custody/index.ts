// The chain of custody: the app's append-only, hash-chained activity log.
export { appendCustody, listCustody, type NewCustodyEntry, type ListCustodyOptions } from './custody-log';
export { verifyCustodyChain, verifyCustodyEntries, type CustodyChainResult, type CustodyBreak } from './verify-chain';
export { custodyHash, CUSTODY_GENESIS, type CustodyEntry } from './entry';
export { CUSTODY_ACTIONS, PROVENANCE_ACTIONS, type CustodyAction, type KnownCustodyAction } from './actions';
