"""Miners read events and files and propose candidates with evidence and confidence."""
