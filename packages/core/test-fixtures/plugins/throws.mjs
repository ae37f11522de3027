// A module that throws while it is being imported.
throw new Error('fixture exploded at import time');
