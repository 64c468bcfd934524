// Package themes turns a palette of semantic colours into one nested Styles
// struct, built from a *lipgloss.Renderer so that colours are right for the
// terminal the renderer writes to (one renderer per SSH session later).
//
// Screens and widgets take every style from a *Styles; they never call
// lipgloss.Color themselves. Three themes exist: "dark", "light" and
// "nocolor" (bold, reverse and underline only, ASCII glyphs). FromEnv picks
// nocolor when NO_COLOR is set and otherwise dark or light from the
// renderer's background; tests and SSH sessions should set the renderer's
// colour profile explicitly and call New with a name.
package themes
