// Forum Markdown: markdown-it with raw HTML off (a tag typed into a post stays text), then
// DOMPurify over its output as a second line of defence, with every link marked as the user's
// (`rel="nofollow ugc noopener"`, so it passes no ranking and cannot reach back into this tab).
// Images are off: a post must not make its readers' browsers fetch from anywhere the author likes.
import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false }).disable(['image']);

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'];

let hooked = false;
function purifier() {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('rel', 'nofollow ugc noopener');
        node.setAttribute('target', '_blank');
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

/** Markdown source → HTML to set as innerHTML: no script, no handler, no raw HTML survives. */
export function renderMarkdown(source: string): string {
  return purifier().sanitize(md.render(source), {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'rel', 'target', 'start', 'align'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|\/(?!\/)|#)/i,
  });
}

/** Markdown source → its text without the marks (a list's one-line preview), nothing rendered. */
export function markdownText(source: string): string {
  const doc = new DOMParser().parseFromString(renderMarkdown(source), 'text/html');
  return (doc.body.textContent ?? '').replace(/\s+/g, ' ').trim();
}
