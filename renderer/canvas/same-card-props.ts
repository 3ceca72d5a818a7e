// React Flow hands a node component its position as props, which change on every pointer move of
// a drag; the canvas's cards draw nothing from them (React Flow places the card itself), so they
// re-render only when what they show changes.
interface CardProps {
  readonly id: string;
  readonly data: unknown;
  readonly selected?: boolean;
}

/** memo's comparison for the canvas's node components: the same id, data and selection. */
export function sameCardProps(before: CardProps, after: CardProps): boolean {
  return before.id === after.id && before.data === after.data && before.selected === after.selected;
}
