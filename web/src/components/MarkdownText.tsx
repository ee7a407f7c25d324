import { useMemo } from 'react';
import { renderMarkdown } from '../lib/markdown';
import { cx } from './ui';

/** A forum post's or comment's Markdown, rendered without raw HTML and sanitised (lib/markdown). */
export function MarkdownText({ text, className }: { text: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className={cx('markdown break-words', className)} dangerouslySetInnerHTML={{ __html: html }} />;
}
