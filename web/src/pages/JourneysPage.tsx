// Placeholder until the journeys list lands (being written now).
import { useEffect, useState } from "react";
import { api, type JourneySummary } from "../api/client.ts";
import { hrefOf } from "../route.ts";

export function JourneysPage() {
  const [items, setItems] = useState<JourneySummary[]>([]);
  useEffect(() => {
    void api.listJourneys().then((r) => setItems(r.items));
  }, []);
  return (
    <ul>
      {items.map((j) => (
        <li key={j.id} data-testid={`journey-row-${j.id}`}>
          <a href={hrefOf({ page: "editor", journeyId: j.id })}>{j.name}</a>
        </li>
      ))}
    </ul>
  );
}
