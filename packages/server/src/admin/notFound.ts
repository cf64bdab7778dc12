import { HttpError } from '../http/HttpError.js';

/** Another center's lead is "not found", never "forbidden": its existence is not for this center to learn. */
export function notFound(what: 'lead' | 'delivery' | 'account' = 'lead') {
  const where = what === 'account' ? 'your center' : "your center's inbox";
  const why = what === 'account' ? 'It may have been removed.' : 'It may have been deleted after the retention period.';
  return new HttpError(404, 'not_found', `No such ${what} in ${where}. ${why}`);
}
