import { Link } from 'react-router';

/** Breadcrumbs above a page: the list it belongs to (a link back) and, optionally, where in it. */
export function BackLink({ to, parent, current, parentTo }: { to: string; parent: string; current?: string; parentTo?: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-4 text-sm">
      <ol className="flex flex-wrap items-center gap-1 text-slate-500">
        <li>
          <Link to={parentTo ?? to} className="rounded font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
            ← {parent}
          </Link>
        </li>
        {current && (
          <li className="flex items-center gap-1">
            <span aria-hidden>/</span>
            <Link to={to} className="rounded hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
              {current}
            </Link>
          </li>
        )}
      </ol>
    </nav>
  );
}
