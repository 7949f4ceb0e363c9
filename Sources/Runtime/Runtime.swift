// Module Runtime.
