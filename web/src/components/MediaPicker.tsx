import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { isVideoUrl, uploadMedia } from '../api/media';
import { useLang, useT } from '../i18n';
import { errorText } from '../lib/errors';
import { Button, ProgressBar, cx } from './ui';

/**
 * Picks an image (or, with `video`, a video) for a form: choose or drop a file, see it at once,
 * watch it upload, and get the /media/ URL it is stored under. A URL typed by hand still works.
 */
export function MediaPicker({ label, value, onChange, video = false, error, className }: { label: string; value: string; onChange: (url: string) => void; video?: boolean; error?: string; className?: string }) {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<{ url: string; video: boolean } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => () => {
    if (preview) URL.revokeObjectURL(preview.url);
  }, [preview]);

  async function take(file: File | undefined) {
    if (!file) return;
    const isVideo = file.type.startsWith('video/');
    if (!file.type.startsWith('image/') && !(video && isVideo)) {
      setFailure(t(video ? 'media.notImageOrVideo' : 'media.notImage'));
      return;
    }
    setFailure(null);
    setPreview({ url: URL.createObjectURL(file), video: isVideo });
    setProgress(0);
    abort.current = new AbortController();
    try {
      const m = await uploadMedia(file, setProgress, abort.current.signal);
      onChange(m.url);
      setProgress(null);
      setPreview(null);  // from now on the stored file is shown
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') return;
      setFailure(errorText(err, lang));
      setProgress(null);
      setPreview(null);
    }
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files?.[0]);
  }

  const shown = preview ?? (value && /^(https?:\/\/|\/(?!\/))/i.test(value) ? { url: value, video: isVideoUrl(value) } : null);
  const uploading = progress !== null;
  return (
    <div className={cx('space-y-2', className)}>
      <span className="block text-sm font-medium text-slate-700" id={`${id}-label`}>
        {label}
      </span>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="media-drop"
        className={cx('flex flex-col gap-3 rounded-xl border-2 border-dashed p-3 sm:flex-row sm:items-center', over ? 'border-indigo-500 bg-indigo-50' : 'border-slate-300 bg-slate-50')}
      >
        <div className="flex h-24 w-32 flex-none items-center justify-center overflow-hidden rounded-lg bg-slate-200">
          {shown ? (
            shown.video ? (
              <video src={shown.url} muted playsInline className="h-full w-full object-cover" data-testid="media-preview" />
            ) : (
              <img src={shown.url} alt={t('media.preview')} className="h-full w-full object-cover" data-testid="media-preview" />
            )
          ) : (
            <span className="text-xs text-slate-500">{t('media.none')}</span>
          )}
        </div>
        <div className="min-w-0 flex-1 space-y-2">
          <p className="text-sm text-slate-600">{t(video ? 'media.dropImageOrVideo' : 'media.dropImage')}</p>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => input.current?.click()} disabled={uploading}>
              {t('media.choose')}
            </Button>
            {value && !uploading && (
              <Button variant="ghost" onClick={() => { setPreview(null); onChange(''); }}>
                {t('media.remove')}
              </Button>
            )}
          </div>
          {uploading && <ProgressBar value={(progress ?? 0) * 100} label={t('media.uploading')} />}
          <input
            ref={input}
            type="file"
            className="sr-only"
            aria-labelledby={`${id}-label`}
            accept={video ? 'image/jpeg,image/png,image/webp,image/gif,image/heic,image/avif,video/mp4,video/webm' : 'image/jpeg,image/png,image/webp,image/gif,image/heic,image/avif'}
            onChange={(e) => {
              void take(e.target.files?.[0]);
              e.target.value = '';
            }}
            data-testid="media-input"
          />
        </div>
      </div>
      {(failure || error) && (
        <p className="text-sm text-red-700" role="alert">
          {failure ?? error}
        </p>
      )}
    </div>
  );
}
