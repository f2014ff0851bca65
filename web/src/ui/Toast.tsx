import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'

interface ToastApi {
  /** Confirms a success. Never for errors: those stay inline (role="alert") where they happened. */
  success(message: string): void
}

const ToastContext = createContext<ToastApi>({ success: () => {} })

interface Item {
  id: number
  message: string
}

/** One polite live region; each message stays 5 s, or until dismissed. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<Item[]>([])
  const next = useRef(0)
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>())
  const dismiss = useCallback((id: number) => {
    setItems(list => list.filter(i => i.id !== id))
    clearTimeout(timers.current.get(id))
    timers.current.delete(id)
  }, [])
  const api = useMemo<ToastApi>(
    () => ({
      success(message) {
        const id = ++next.current
        setItems(list => [...list.slice(-2), { id, message }])
        timers.current.set(
          id,
          setTimeout(() => dismiss(id), 5000),
        )
      },
    }),
    [dismiss],
  )
  useEffect(() => {
    const all = timers.current
    return () => {
      for (const timer of all.values()) clearTimeout(timer)
    }
  }, [])
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {items.map(i => (
          <div key={i.id} className="toast">
            <span>{i.message}</span>
            <button type="button" className="toast-close" onClick={() => dismiss(i.id)} aria-label="Dismiss">
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  )
}

export function useToast(): ToastApi {
  return useContext(ToastContext)
}
