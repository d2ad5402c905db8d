package bootstrap

// RetiredGenerations reports how many replaced generations are still held.
func (a *App) RetiredGenerations() int { return a.retired.len() }
