// Placeholder until this panel lands (being written now).
export function SimulatePanel({ onClose }: { onClose(): void }) {
  return (
    <div data-testid="SimulatePanel">
      <button type="button" onClick={onClose}>✕</button>
    </div>
  );
}
