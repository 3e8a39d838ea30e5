// Placeholder until this panel lands (being written now).
export function StatsPanel({ onClose }: { onClose(): void }) {
  return (
    <div data-testid="StatsPanel">
      <button type="button" onClick={onClose}>✕</button>
    </div>
  );
}
