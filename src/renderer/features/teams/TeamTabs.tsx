import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import styles from './Teams.module.css'

export interface TeamTab {
  id: string
  label: string
  panel: ReactNode
}

/**
 * A team page's tabs (WAI-ARIA tabs pattern): one Tab stop, Left/Right/Home/End move between
 * tabs and show them. Members today; team connections take their place beside it.
 */
export function TeamTabs({
  tabs,
  label,
  selected: chosen,
  onSelect,
}: {
  tabs: readonly TeamTab[]
  label: string
  /** Given, the page chooses the tab (a link to another tab); each choice is told to onSelect. */
  selected?: string
  onSelect?: (id: string) => void
}) {
  const [own, setOwn] = useState(tabs[0]?.id)
  const selected = chosen ?? own
  const setSelected = (id: string) => {
    setOwn(id)
    onSelect?.(id)
  }
  const prefix = useId()
  const list = useRef<HTMLDivElement>(null)
  const current = tabs.find((tab) => tab.id === selected) ?? tabs[0]

  const move = (event: KeyboardEvent) => {
    const index = tabs.findIndex((tab) => tab.id === current?.id)
    const target = {
      ArrowRight: (index + 1) % tabs.length,
      ArrowLeft: (index - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    }[event.key]
    if (target === undefined) return
    event.preventDefault()
    setSelected(tabs[target]!.id)
    list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[target]?.focus()
  }

  return (
    <div>
      <div role="tablist" aria-label={label} className={styles.tabs} ref={list} onKeyDown={move}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`${prefix}-tab-${tab.id}`}
            aria-controls={`${prefix}-panel-${tab.id}`}
            aria-selected={tab.id === current?.id}
            tabIndex={tab.id === current?.id ? 0 : -1}
            className={styles.tab}
            onClick={() => setSelected(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {current && (
        <div
          role="tabpanel"
          id={`${prefix}-panel-${current.id}`}
          aria-labelledby={`${prefix}-tab-${current.id}`}
        >
          {current.panel}
        </div>
      )}
    </div>
  )
}
