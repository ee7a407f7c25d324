import { isNotFound } from '../lib/errors';
import { NotFoundPage, type NotFoundKind } from '../pages/NotFoundPage';
import { ErrorBox } from './ui';

/** A page's thing failed to load: a friendly 404 page with a way back when it is not there, else the error with a retry. */
export function LoadError({ error, what, onRetry }: { error: unknown; what: NotFoundKind; onRetry?: () => void }) {
  if (isNotFound(error)) return <NotFoundPage what={what} />;
  return <ErrorBox error={error} onRetry={onRetry} />;
}
