import { useEffect, useRef, type ReactNode } from "react";

const APP_NAME = "VoiceAssist Admin";

/**
 * One screen: sets the document title and moves focus to the heading, so a
 * keyboard or screen-reader user starts at the top of the new page.
 */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${APP_NAME}`;
    heading.current?.focus();
  }, [title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}
