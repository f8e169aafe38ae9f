"""What the assistant asks for each assessment: the form table, read by the Rasa server's domain builder (``bot``)
and by the action server (``actions``). Pure Python: no Rasa import."""
