/**
 * The live tail: the latest lines rendered by the server, newest first; the script polls `src`
 * for lines after `after` and for status changes. Its box has a fixed height, so lines arriving
 * never push the page around.
 */
import type { TailLine } from "../event-text";

export function Tail(props: { src: string; after: number; lines: TailLine[]; title: string }) {
  return (
    <section aria-labelledby="tail-title">
      <h2 id="tail-title">
        {props.title}{" "}
        <span id="tail-state" class="tail-state" aria-live="polite">
          (reload for new events)
        </span>
      </h2>
      <div id="tail" class="tail" data-src={props.src} data-after={String(props.after)}>
        <ol>
          {props.lines.map((line) => (
            <li>
              <time datetime={line.at} title={line.at}>
                {line.at.slice(11, 19)}
              </time>
              <span class="src">{line.source}</span>
              <span class="type">{line.type}</span>
              <span class="text">{line.text}</span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
