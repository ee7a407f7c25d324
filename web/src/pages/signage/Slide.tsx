import type { SimpleContent } from '../../api/types';
import { isWebUrl } from '../../lib/signage';

export function Slide({ item }: { item: SimpleContent }) {
  const value = String(item.value ?? '');
  switch (item.type) {
    case 'text':
      return (
        <div className="flex h-full w-full items-center justify-center bg-gradient-to-br from-slate-950 via-slate-900 to-indigo-950 p-[5cqmin]">
          <p className="max-w-full whitespace-pre-wrap break-words text-center text-[clamp(1rem,7cqmin,8rem)] font-bold leading-tight" data-testid="signage-text">
            {value}
          </p>
        </div>
      );
    case 'image':
      return isWebUrl(value) ? <img src={value} alt="" className="h-full w-full object-contain" data-testid="signage-image" /> : null;
    case 'video':
      return isWebUrl(value) ? <video src={value} autoPlay muted loop playsInline className="h-full w-full object-contain" data-testid="signage-video" /> : null;
    case 'url':
      return isWebUrl(value) ? (
        <iframe title="content" src={value} sandbox="" referrerPolicy="no-referrer" className="h-full w-full border-0 bg-white" data-testid="signage-url" />
      ) : null;
    case 'html':
      // Scripts, forms, popups and same-origin access are all off: `sandbox=""` with nothing allowed.
      return <iframe title="content" srcDoc={value} sandbox="" className="h-full w-full border-0 bg-white" data-testid="signage-html" />;
    default:
      return null;
  }
}
