"""What the weekly run says: the channel's board, the managers' coaching DM, the notes
beside them."""
