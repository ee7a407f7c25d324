// Uploads (POST /api/v1/media) and the variants of an uploaded image. The upload goes through
// XMLHttpRequest, the one browser API that reports upload progress.
import { API_BASE, ApiError, currentAccessToken } from './client';

export interface Media {
  id: string;
  url: string;
  kind: 'image' | 'video';
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  variants: { thumb: string; medium: string } | null;
}

const MEDIA_URL = /^\/media\/([0-9a-f]{32})\.webp$/;

/** The thumb and medium variants of an uploaded image's URL; null for any other URL. */
export function variantsOf(url: string | null | undefined): { thumb: string; medium: string } | null {
  const m = url ? MEDIA_URL.exec(url) : null;
  return m ? { thumb: `/media/${m[1]}-thumb.webp`, medium: `/media/${m[1]}-medium.webp` } : null;
}

/** A srcset for an uploaded image (thumb fits 320 px, medium 1280 px); undefined for other URLs. */
export function srcSetOf(url: string | null | undefined): string | undefined {
  const v = variantsOf(url);
  return v ? `${v.thumb} 320w, ${v.medium} 1280w` : undefined;
}

export function isVideoUrl(url: string): boolean {
  return /\.(mp4|webm)(\?|#|$)/i.test(url);
}

/** Uploads a file; onProgress gets 0..1 as its bytes leave. Rejects with ApiError like api(). */
export async function uploadMedia(file: File, onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<Media> {
  const token = await currentAccessToken();
  return new Promise<Media>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API_BASE}/media`);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { data?: Media; error?: { code?: string; message?: string; details?: unknown } } | undefined;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201 && body?.data) return resolve(body.data);
      const e = body?.error ?? {};
      const retry = Number(xhr.getResponseHeader('Retry-After'));
      reject(new ApiError(xhr.status, e.code ?? `HTTP_${xhr.status}`, e.message ?? `HTTP ${xhr.status}`, e.details, xhr.getResponseHeader('X-Request-Id'), Number.isFinite(retry) && retry > 0 ? retry : null));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'Network error'));
    xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
