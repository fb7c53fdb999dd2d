import { useState } from 'react'

/**
 * A settings control that shows the user's choice at once. The saved settings reach React a
 * task after the click (TanStack Query notifies observers on a timer), and until then a
 * controlled radio or checkbox snaps back to the old value: the user sees a flicker, and a
 * script that reads it right after the click finds it unchanged. The choice shown holds until
 * the saved value changes (the optimistic cache update, main's answer or a push from the CLI)
 * or main refuses the save; the control's error line says why.
 */
export function useChoiceShownAtOnce<T>(
  saved: T,
  save: (choice: T) => Promise<unknown>,
): readonly [T, (choice: T) => void] {
  const [chosen, setChosen] = useState<{ choice: T } | null>(null)
  const [lastSaved, setLastSaved] = useState(saved)
  if (!Object.is(lastSaved, saved)) {
    // Adjusting state during render (React's pattern for "reset when a prop changes").
    setLastSaved(saved)
    setChosen(null)
  }
  const choose = (choice: T) => {
    setChosen({ choice })
    save(choice).catch(() => setChosen(null))
  }
  return [chosen ? chosen.choice : saved, choose] as const
}
