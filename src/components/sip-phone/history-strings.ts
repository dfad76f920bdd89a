/**
 * The words of the call history panel and the do-not-disturb button, in one table so a message
 * catalogue can take them over whole. Remote text (names, addresses) never goes in here: it is
 * bound as text beside these.
 */
export const HISTORY_STRINGS = {
  history: 'History',
  historyList: 'Recent calls',
  empty: 'No calls yet',
  clear: 'Clear history',
  callBack: 'Call back',
  incoming: 'Incoming',
  outgoing: 'Outgoing',
  missed: 'Missed',
  missedDnd: 'Missed (do not disturb)',
  /** The badge's accessible name: the count is prefixed. */
  missedNew: 'new missed calls',
  dnd: 'Do not disturb',
  callBackFailed: 'Cannot call back',
  storageFailed: 'Cannot store the call history',
};
