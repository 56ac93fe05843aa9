"""Pure-Python core of Backward Walking: no Home Assistant imports, clock injected.

Every function and class here takes its inputs (readings, the current time) as arguments and returns
decisions; the Home Assistant shell feeds it and applies what it returns.
"""
