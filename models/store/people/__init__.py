"""What the store keeps of a person: readings, away periods, settings, language, exports."""
