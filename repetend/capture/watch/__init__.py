"""`repetend watch`: file events from the editor, debounced, filtered, turned into suggestions.

Start with `watcher`, the loop; it asks `suggest` what to show.
"""
