import { useEffect, useRef, useState } from 'react';
import type { Content } from '../../api/types';
import { contentKey, durationMs, playItems } from '../../lib/signage';
import { Slide } from './Slide';

export function Playlist({ content }: { content: Content }) {
  const key = contentKey(content);
  const items = playItems(content);
  const [index, setIndex] = useState(0);
  const keyRef = useRef(key);

  if (keyRef.current !== key) {
    keyRef.current = key;
    if (index !== 0) setIndex(0);
  }
  const current = items.length ? items[index % items.length] : null;

  useEffect(() => {
    if (items.length <= 1 || !current) return;
    const h = setTimeout(() => setIndex((i) => (i + 1) % items.length), durationMs(current));
    return () => clearTimeout(h);
  }, [key, index, items.length, current]);

  if (!current) return null;
  return <Slide key={`${key}#${index % items.length}`} item={current} />;
}
