import { hrefFor } from './router.js';
import { useViewHeading } from './useFocusOnce.js';

/** A view that is only words: a page not found, or one for admins only. */
export function Message({ title, text, back }: { title: string; text: string; back: string }) {
  const heading = useViewHeading();
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p>{text}</p>
      <p>
        <a href={hrefFor({ name: 'inbox', query: {} })}>{back}</a>
      </p>
    </>
  );
}
