// Placeholder until this panel lands (being written now).
export function PublishDialog({ onClose }: { onClose(): void }) {
  return (
    <div data-testid="PublishDialog">
      <button type="button" onClick={onClose}>✕</button>
    </div>
  );
}
