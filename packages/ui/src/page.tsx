import { createContext, useContext, useEffect, useRef, type ReactNode } from "react";

/** The app's name, after each page's title in the browser tab; provide it at the root. */
export const AppName = createContext("VoiceAssist");

/**
 * One screen: sets the document title and moves focus to the heading, so a
 * keyboard or screen-reader user starts at the top of the new page.
 */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  const appName = useContext(AppName);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${appName}`;
    heading.current?.focus();
  }, [title, appName]);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}
