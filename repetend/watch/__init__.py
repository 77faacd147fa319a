"""`repetend watch`: file events from the editor, debounced, filtered, turned into suggestions."""
