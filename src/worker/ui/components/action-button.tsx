/**
 * An admin action as a form. The first POST only asks for confirmation (a page with the same form
 * and `confirmed=1`), so it works without JavaScript; both carry the session's CSRF token.
 */
export function ActionButton(props: {
  action: string;
  label: string;
  csrf: string;
  fields?: Record<string, string>;
  confirmed?: boolean;
  danger?: boolean;
}) {
  return (
    <form class="inline" method="post" action={props.action}>
      <input type="hidden" name="csrf" value={props.csrf} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {props.confirmed ? <input type="hidden" name="confirmed" value="1" /> : null}
      <button type="submit" class={props.danger ? "danger" : props.confirmed ? "primary" : ""}>
        {props.label}
      </button>
    </form>
  );
}
