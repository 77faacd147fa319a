"""The web dashboard (`repetend dashboard`, the `dashboard` extra): API, pages, live activity.

Start with `app` (the application and what its routes share), then `api` (the JSON
routes) and `pages` (the HTML ones); `security` guards both, `feed` follows the store
for the live panel, `server` binds and runs it. Sits just under `cli`, which imports
it only when the command runs: nothing on the capture path imports FastAPI.
"""
