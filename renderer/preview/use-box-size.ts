// The CSS size of an element, kept up to date as panels are resized: views that draw images at a
// whole-number zoom need to know how much room they have.
import { useLayoutEffect, useState, type RefObject } from 'react';

export interface BoxSize {
  readonly width: number;
  readonly height: number;
}

export function useBoxSize(element: RefObject<HTMLElement | null>): BoxSize {
  const [size, setSize] = useState<BoxSize>({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const target = element.current;
    if (!target) return;
    const measure = () => {
      const { width, height } = target.getBoundingClientRect();
      setSize((previous) =>
        previous.width === width && previous.height === height ? previous : { width, height },
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(target);
    return () => observer.disconnect();
  }, [element]);
  return size;
}
